class AppError(Exception):
    """Base error."""


class RetryError(AppError):
    def __init__(self, attempts, *args):
        super().__init__(*args)
        self.attempts = attempts


def load(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError as e:
        raise AppError(f"missing {path}") from e
    except (PermissionError, IsADirectoryError):
        raise AppError("unreadable") from None
    except Exception:
        raise


def group():
    try:
        raise ExceptionGroup("many", [ValueError(1), TypeError(2), KeyError(3)])
    except* ValueError as eg:
        print("values", eg.exceptions)
    except* (TypeError, KeyError) as eg:
        print("others", eg.exceptions)


def nested():
    try:
        try:
            1 / 0
        finally:
            print("inner")
    except ZeroDivisionError:
        return "handled"
    else:
        return "no error"
    finally:
        print("outer")


err = RetryError(3, "gave up")
err.add_note("tried three times")
print(nested(), err.attempts, err.__notes__)
