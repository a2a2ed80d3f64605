# Instances: the object and its values (one block with inline values in
# 3.13), sized by the class's shared keys.
class Point:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def norm(self):
        return self.x * self.x + self.y * self.y + self.z * self.z

pts = [Point(i, i + 1, i + 2) for i in range(50)]
total = sum(p.norm() for p in pts)

class Empty:
    pass

e = [Empty() for _ in range(40)]
