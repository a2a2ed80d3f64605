def nothing():
    """A docstring is an expression statement."""


def add(a, b):
    return a + b


def defaults(a, b=1, c="x"):
    return


def star(a, *args, **kwargs):
    return args, kwargs


def kwonly(a, *, key=None, reverse):
    pass


def everything(a, b=2, *rest, c, d=4, **more) -> int:
    pass


def annotated(a: int, b: "str" = "s", *args: int, **kw: dict) -> None:
    pass


def closure():
    count = 0

    def inc():
        nonlocal count
        count += 1
        return count

    return inc


def uses_global():
    global counter, other
    counter = 1


square = lambda x: x * x
noargs = lambda: 0
full = lambda a, b=1, *c, d, e=2, **f: (a, b, c, d, e, f)
kwlambda = lambda *, k: k


def unpack_return(a, b):
    return *a, b
