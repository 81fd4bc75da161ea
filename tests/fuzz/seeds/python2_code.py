print "hello, world"
print >>sys.stderr, "to stderr"
exec "x = 1"
try:
    raise ValueError, "old style"
except ValueError, e:
    print e
x = 0777L + 10l
y = `x`
if x <> y:
    print u"unicode", ur"raw"
def f((a, b)):
    return a
