"""The scale suite runs only when asked for by its marker (`make test-scale`: `-m scale`): any
other run, whatever its own `-m`, leaves it out."""


def pytest_collection_modifyitems(config, items):
    if "scale" in (config.option.markexpr or ""):
        return
    kept = [item for item in items if item.get_closest_marker("scale") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
