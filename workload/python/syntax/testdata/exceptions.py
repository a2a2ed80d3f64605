try:
    risky()
except ValueError:
    pass
except (KeyError, IndexError) as e:
    handle(e)
except Exception as exc:
    raise RuntimeError("wrapped") from exc
except:
    raise
else:
    ok()
finally:
    cleanup()

try:
    pass
finally:
    pass

raise ValueError("bad value")
raise Error from None
assert x
assert x > 0, "x must be positive"
