"""A release smoke test of an installed package: python smoke.py MODULE.

Exits non-zero unless Counter, the custom exception and logging all work.
"""

import importlib
import logging
import sys

module = sys.argv[1]
package = importlib.import_module(module)
Counter, Reset = package.Counter, package.Reset

assert Counter("c", 3, Reset.NewlinesReset).has_count("hello-c-c-c-goodbye")
assert not Counter("c", 3, Reset.NewlinesReset).has_count("hello-c-c-\nc-goodbye")
assert package.greater_than_2(5) == 5
try:
    package.greater_than_2(1)
except package.NumberTooSmallError:
    pass
else:
    raise AssertionError("greater_than_2(1) did not raise NumberTooSmallError")
records: list[logging.LogRecord] = []


class Keep(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        records.append(record)


logging.getLogger(module).addHandler(Keep())
logging.getLogger(module).setLevel(logging.INFO)
package.log_example()
assert [record.getMessage() for record in records] == ["A log message from Rust!"], records
print("   smoke test passed:", package.__file__)
