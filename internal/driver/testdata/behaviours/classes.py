# Class creation: the type object, its dict, and in 3.13
# __firstlineno__ and __static_attributes__.
class A:
    pass

class B(A):
    x = 1
    def f(self):
        self.v = 2
    def g(self):
        return self.v
