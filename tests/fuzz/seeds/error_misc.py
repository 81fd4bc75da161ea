x = = 1
def f(a, a=1, *, **k): pass
f(x for x in y, 1)
print(1 +)
lambda: (yield)
a + 1 = 2
del f()
import a.b as
from . import
f(**k, *a)
[x for x in]
class C(x for x in y): pass
x = 1 if 2
nonlocal q
x := 5
f"{}"
f"{x!z}"
b"\u00e9" b"é"
0777
1__0
1e
"abc" 'def
)
