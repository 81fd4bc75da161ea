import contextlib
import io
import threading

lock = threading.Lock()
with lock:
    pass
with open(__file__) as f, io.StringIO() as buf:
    buf.write(f.read(10))
with (
    open(__file__) as first,
    open(__file__) as second,
):
    print(first.readline() == second.readline())
with (open(__file__)) as paren:
    pass
with (lock, contextlib.suppress(KeyError)):
    {}["missing"]
with contextlib.ExitStack() as stack, \
        contextlib.redirect_stdout(io.StringIO()):
    stack.callback(print, "bye")
with (ctx := contextlib.nullcontext(5)) as v:
    print(v, ctx)
