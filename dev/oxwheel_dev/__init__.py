"""The oxwheel repository's own tooling, shared by noxfile.py and template-tests/.

Installed (editable) into the nox bootstrap and into every session that runs the template tests;
standard library only, so installing it costs nothing.
"""
