def f():
    x = 1
  y = 2
    return x

if True:
	a = 1
        b = 2

  unexpected = 3
def g():
return 0
