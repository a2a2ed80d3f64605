class Empty:
    pass


class Point(object):
    """A point."""

    dims = 2

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r})"


class Multi(Base, mixins.Mixin):
    class Inner:
        pass
