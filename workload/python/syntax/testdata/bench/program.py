# ---- Section 1: an inventory simulation ----


class Item1:
    """An item in the 1-th warehouse."""

    count = 0

    def __init__(self, name, price, qty=0, *, tags=None):
        self.name = name
        self.price = price
        self.qty = qty
        self.tags = tags if tags is not None else []
        Item1.count += 1

    def total(self):
        return self.price * self.qty

    def __repr__(self):
        return f"Item1({self.name!r}, {self.price:.2f}, qty={self.qty})"


class Warehouse1(object):
    def __init__(self):
        self.items = {}
        self.log = []

    def add(self, item):
        if item.name in self.items:
            raise KeyError(f"duplicate item {item.name}")
        self.items[item.name] = item
        self.log.append(("add", item.name))

    def remove(self, name):
        try:
            item = self.items.pop(name)
        except KeyError as e:
            self.log.append(("missing", name))
            return None
        else:
            self.log.append(("remove", name))
            return item
        finally:
            self.log = self.log[-100:]

    def value(self):
        return sum(i.total() for i in self.items.values())

    def by_tag(self):
        groups = {}
        for item in self.items.values():
            for tag in item.tags:
                groups.setdefault(tag, []).append(item)
        return {k: sorted(v, key=lambda i: (-i.price, i.name)) for k, v in groups.items()}


def make_inventory_1(n, seed=1):
    state = seed
    wh = Warehouse1()
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2 ** 31
        price = (state % 10000) / 100
        qty = state >> 16 & 0xff
        tags = [t for t in ("a", "b", "c", "d") if state & 1 << ord(t) % 7]
        wh.add(Item1(f"item-{i:05d}", price, qty, tags=tags))
    return wh


def report_1(wh, limit=10):
    lines = []
    items = sorted(wh.items.values(), key=Item1.total, reverse=True)
    for rank, item in enumerate(items[:limit], start=1):
        marker = "*" if item.total() > 1000 else " "
        lines.append(f"{rank:>3} {marker} {item.name:<12} {item.total():10.2f}")
    lines.append("-" * 30)
    lines.append(f"total: {wh.value():,.2f}")
    return "\n".join(lines)


def churn_1(wh, rounds):
    removed = 0
    names = list(wh.items)
    while rounds > 0 and names:
        name = names.pop()
        if wh.remove(name) is None:
            continue
        removed += 1
        rounds -= 1
        if removed % 7 == 0 and not names:
            break
    else:
        assert rounds >= 0, "rounds went negative"
    return removed


matrix_1 = [[(i * j) % 5 for j in range(8)] for i in range(8)]
flat_1 = [x for row in matrix_1 for x in row if x]
pairs_1 = {(a, b): a * b for a in range(4) for b in range(4) if a != b}
uniq_1 = {x % 3 for x in flat_1}
first_1, *rest_1 = flat_1 or [0]
big_1 = 2 ** 100 + 0x_dead_beef - 0o777 + 0b1010
text_1 = 'multi' "part" '''string\twith\nescapes''' + r"\raw"
sliced_1 = flat_1[1:-1:2], flat_1[::-1], flat_1[:3]
ok_1 = 0 < len(flat_1) <= 64 and not (first_1 is None or first_1 in uniq_1)
if __name__ == "__main__":
    w = make_inventory_1(50)
    print(report_1(w))
    print(churn_1(w, 10), len(w.items))
    del w

# ---- Section 2: an inventory simulation ----


class Item2:
    """An item in the 2-th warehouse."""

    count = 0

    def __init__(self, name, price, qty=0, *, tags=None):
        self.name = name
        self.price = price
        self.qty = qty
        self.tags = tags if tags is not None else []
        Item2.count += 1

    def total(self):
        return self.price * self.qty

    def __repr__(self):
        return f"Item2({self.name!r}, {self.price:.2f}, qty={self.qty})"


class Warehouse2(object):
    def __init__(self):
        self.items = {}
        self.log = []

    def add(self, item):
        if item.name in self.items:
            raise KeyError(f"duplicate item {item.name}")
        self.items[item.name] = item
        self.log.append(("add", item.name))

    def remove(self, name):
        try:
            item = self.items.pop(name)
        except KeyError as e:
            self.log.append(("missing", name))
            return None
        else:
            self.log.append(("remove", name))
            return item
        finally:
            self.log = self.log[-100:]

    def value(self):
        return sum(i.total() for i in self.items.values())

    def by_tag(self):
        groups = {}
        for item in self.items.values():
            for tag in item.tags:
                groups.setdefault(tag, []).append(item)
        return {k: sorted(v, key=lambda i: (-i.price, i.name)) for k, v in groups.items()}


def make_inventory_2(n, seed=2):
    state = seed
    wh = Warehouse2()
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2 ** 31
        price = (state % 10000) / 100
        qty = state >> 16 & 0xff
        tags = [t for t in ("a", "b", "c", "d") if state & 1 << ord(t) % 7]
        wh.add(Item2(f"item-{i:05d}", price, qty, tags=tags))
    return wh


def report_2(wh, limit=10):
    lines = []
    items = sorted(wh.items.values(), key=Item2.total, reverse=True)
    for rank, item in enumerate(items[:limit], start=1):
        marker = "*" if item.total() > 1000 else " "
        lines.append(f"{rank:>3} {marker} {item.name:<12} {item.total():10.2f}")
    lines.append("-" * 30)
    lines.append(f"total: {wh.value():,.2f}")
    return "\n".join(lines)


def churn_2(wh, rounds):
    removed = 0
    names = list(wh.items)
    while rounds > 0 and names:
        name = names.pop()
        if wh.remove(name) is None:
            continue
        removed += 1
        rounds -= 1
        if removed % 7 == 0 and not names:
            break
    else:
        assert rounds >= 0, "rounds went negative"
    return removed


matrix_2 = [[(i * j) % 5 for j in range(8)] for i in range(8)]
flat_2 = [x for row in matrix_2 for x in row if x]
pairs_2 = {(a, b): a * b for a in range(4) for b in range(4) if a != b}
uniq_2 = {x % 3 for x in flat_2}
first_2, *rest_2 = flat_2 or [0]
big_2 = 2 ** 100 + 0x_dead_beef - 0o777 + 0b1010
text_2 = 'multi' "part" '''string\twith\nescapes''' + r"\raw"
sliced_2 = flat_2[1:-1:2], flat_2[::-1], flat_2[:3]
ok_2 = 0 < len(flat_2) <= 64 and not (first_2 is None or first_2 in uniq_2)
if __name__ == "__main__":
    w = make_inventory_2(50)
    print(report_2(w))
    print(churn_2(w, 10), len(w.items))
    del w

# ---- Section 3: an inventory simulation ----


class Item3:
    """An item in the 3-th warehouse."""

    count = 0

    def __init__(self, name, price, qty=0, *, tags=None):
        self.name = name
        self.price = price
        self.qty = qty
        self.tags = tags if tags is not None else []
        Item3.count += 1

    def total(self):
        return self.price * self.qty

    def __repr__(self):
        return f"Item3({self.name!r}, {self.price:.2f}, qty={self.qty})"


class Warehouse3(object):
    def __init__(self):
        self.items = {}
        self.log = []

    def add(self, item):
        if item.name in self.items:
            raise KeyError(f"duplicate item {item.name}")
        self.items[item.name] = item
        self.log.append(("add", item.name))

    def remove(self, name):
        try:
            item = self.items.pop(name)
        except KeyError as e:
            self.log.append(("missing", name))
            return None
        else:
            self.log.append(("remove", name))
            return item
        finally:
            self.log = self.log[-100:]

    def value(self):
        return sum(i.total() for i in self.items.values())

    def by_tag(self):
        groups = {}
        for item in self.items.values():
            for tag in item.tags:
                groups.setdefault(tag, []).append(item)
        return {k: sorted(v, key=lambda i: (-i.price, i.name)) for k, v in groups.items()}


def make_inventory_3(n, seed=3):
    state = seed
    wh = Warehouse3()
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2 ** 31
        price = (state % 10000) / 100
        qty = state >> 16 & 0xff
        tags = [t for t in ("a", "b", "c", "d") if state & 1 << ord(t) % 7]
        wh.add(Item3(f"item-{i:05d}", price, qty, tags=tags))
    return wh


def report_3(wh, limit=10):
    lines = []
    items = sorted(wh.items.values(), key=Item3.total, reverse=True)
    for rank, item in enumerate(items[:limit], start=1):
        marker = "*" if item.total() > 1000 else " "
        lines.append(f"{rank:>3} {marker} {item.name:<12} {item.total():10.2f}")
    lines.append("-" * 30)
    lines.append(f"total: {wh.value():,.2f}")
    return "\n".join(lines)


def churn_3(wh, rounds):
    removed = 0
    names = list(wh.items)
    while rounds > 0 and names:
        name = names.pop()
        if wh.remove(name) is None:
            continue
        removed += 1
        rounds -= 1
        if removed % 7 == 0 and not names:
            break
    else:
        assert rounds >= 0, "rounds went negative"
    return removed


matrix_3 = [[(i * j) % 5 for j in range(8)] for i in range(8)]
flat_3 = [x for row in matrix_3 for x in row if x]
pairs_3 = {(a, b): a * b for a in range(4) for b in range(4) if a != b}
uniq_3 = {x % 3 for x in flat_3}
first_3, *rest_3 = flat_3 or [0]
big_3 = 2 ** 100 + 0x_dead_beef - 0o777 + 0b1010
text_3 = 'multi' "part" '''string\twith\nescapes''' + r"\raw"
sliced_3 = flat_3[1:-1:2], flat_3[::-1], flat_3[:3]
ok_3 = 0 < len(flat_3) <= 64 and not (first_3 is None or first_3 in uniq_3)
if __name__ == "__main__":
    w = make_inventory_3(50)
    print(report_3(w))
    print(churn_3(w, 10), len(w.items))
    del w

# ---- Section 4: an inventory simulation ----


class Item4:
    """An item in the 4-th warehouse."""

    count = 0

    def __init__(self, name, price, qty=0, *, tags=None):
        self.name = name
        self.price = price
        self.qty = qty
        self.tags = tags if tags is not None else []
        Item4.count += 1

    def total(self):
        return self.price * self.qty

    def __repr__(self):
        return f"Item4({self.name!r}, {self.price:.2f}, qty={self.qty})"


class Warehouse4(object):
    def __init__(self):
        self.items = {}
        self.log = []

    def add(self, item):
        if item.name in self.items:
            raise KeyError(f"duplicate item {item.name}")
        self.items[item.name] = item
        self.log.append(("add", item.name))

    def remove(self, name):
        try:
            item = self.items.pop(name)
        except KeyError as e:
            self.log.append(("missing", name))
            return None
        else:
            self.log.append(("remove", name))
            return item
        finally:
            self.log = self.log[-100:]

    def value(self):
        return sum(i.total() for i in self.items.values())

    def by_tag(self):
        groups = {}
        for item in self.items.values():
            for tag in item.tags:
                groups.setdefault(tag, []).append(item)
        return {k: sorted(v, key=lambda i: (-i.price, i.name)) for k, v in groups.items()}


def make_inventory_4(n, seed=4):
    state = seed
    wh = Warehouse4()
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2 ** 31
        price = (state % 10000) / 100
        qty = state >> 16 & 0xff
        tags = [t for t in ("a", "b", "c", "d") if state & 1 << ord(t) % 7]
        wh.add(Item4(f"item-{i:05d}", price, qty, tags=tags))
    return wh


def report_4(wh, limit=10):
    lines = []
    items = sorted(wh.items.values(), key=Item4.total, reverse=True)
    for rank, item in enumerate(items[:limit], start=1):
        marker = "*" if item.total() > 1000 else " "
        lines.append(f"{rank:>3} {marker} {item.name:<12} {item.total():10.2f}")
    lines.append("-" * 30)
    lines.append(f"total: {wh.value():,.2f}")
    return "\n".join(lines)


def churn_4(wh, rounds):
    removed = 0
    names = list(wh.items)
    while rounds > 0 and names:
        name = names.pop()
        if wh.remove(name) is None:
            continue
        removed += 1
        rounds -= 1
        if removed % 7 == 0 and not names:
            break
    else:
        assert rounds >= 0, "rounds went negative"
    return removed


matrix_4 = [[(i * j) % 5 for j in range(8)] for i in range(8)]
flat_4 = [x for row in matrix_4 for x in row if x]
pairs_4 = {(a, b): a * b for a in range(4) for b in range(4) if a != b}
uniq_4 = {x % 3 for x in flat_4}
first_4, *rest_4 = flat_4 or [0]
big_4 = 2 ** 100 + 0x_dead_beef - 0o777 + 0b1010
text_4 = 'multi' "part" '''string\twith\nescapes''' + r"\raw"
sliced_4 = flat_4[1:-1:2], flat_4[::-1], flat_4[:3]
ok_4 = 0 < len(flat_4) <= 64 and not (first_4 is None or first_4 in uniq_4)
if __name__ == "__main__":
    w = make_inventory_4(50)
    print(report_4(w))
    print(churn_4(w, 10), len(w.items))
    del w

# ---- Section 5: an inventory simulation ----


class Item5:
    """An item in the 5-th warehouse."""

    count = 0

    def __init__(self, name, price, qty=0, *, tags=None):
        self.name = name
        self.price = price
        self.qty = qty
        self.tags = tags if tags is not None else []
        Item5.count += 1

    def total(self):
        return self.price * self.qty

    def __repr__(self):
        return f"Item5({self.name!r}, {self.price:.2f}, qty={self.qty})"


class Warehouse5(object):
    def __init__(self):
        self.items = {}
        self.log = []

    def add(self, item):
        if item.name in self.items:
            raise KeyError(f"duplicate item {item.name}")
        self.items[item.name] = item
        self.log.append(("add", item.name))

    def remove(self, name):
        try:
            item = self.items.pop(name)
        except KeyError as e:
            self.log.append(("missing", name))
            return None
        else:
            self.log.append(("remove", name))
            return item
        finally:
            self.log = self.log[-100:]

    def value(self):
        return sum(i.total() for i in self.items.values())

    def by_tag(self):
        groups = {}
        for item in self.items.values():
            for tag in item.tags:
                groups.setdefault(tag, []).append(item)
        return {k: sorted(v, key=lambda i: (-i.price, i.name)) for k, v in groups.items()}


def make_inventory_5(n, seed=5):
    state = seed
    wh = Warehouse5()
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2 ** 31
        price = (state % 10000) / 100
        qty = state >> 16 & 0xff
        tags = [t for t in ("a", "b", "c", "d") if state & 1 << ord(t) % 7]
        wh.add(Item5(f"item-{i:05d}", price, qty, tags=tags))
    return wh


def report_5(wh, limit=10):
    lines = []
    items = sorted(wh.items.values(), key=Item5.total, reverse=True)
    for rank, item in enumerate(items[:limit], start=1):
        marker = "*" if item.total() > 1000 else " "
        lines.append(f"{rank:>3} {marker} {item.name:<12} {item.total():10.2f}")
    lines.append("-" * 30)
    lines.append(f"total: {wh.value():,.2f}")
    return "\n".join(lines)


def churn_5(wh, rounds):
    removed = 0
    names = list(wh.items)
    while rounds > 0 and names:
        name = names.pop()
        if wh.remove(name) is None:
            continue
        removed += 1
        rounds -= 1
        if removed % 7 == 0 and not names:
            break
    else:
        assert rounds >= 0, "rounds went negative"
    return removed


matrix_5 = [[(i * j) % 5 for j in range(8)] for i in range(8)]
flat_5 = [x for row in matrix_5 for x in row if x]
pairs_5 = {(a, b): a * b for a in range(4) for b in range(4) if a != b}
uniq_5 = {x % 3 for x in flat_5}
first_5, *rest_5 = flat_5 or [0]
big_5 = 2 ** 100 + 0x_dead_beef - 0o777 + 0b1010
text_5 = 'multi' "part" '''string\twith\nescapes''' + r"\raw"
sliced_5 = flat_5[1:-1:2], flat_5[::-1], flat_5[:3]
ok_5 = 0 < len(flat_5) <= 64 and not (first_5 is None or first_5 in uniq_5)
if __name__ == "__main__":
    w = make_inventory_5(50)
    print(report_5(w))
    print(churn_5(w, 10), len(w.items))
    del w

