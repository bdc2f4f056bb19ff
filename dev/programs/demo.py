"""What `nox -s demo` shows of a freshly generated project: python demo.py MODULE."""

import importlib
import logging
import sys

package = importlib.import_module(sys.argv[1])
Counter, Reset = package.Counter, package.Reset

logging.basicConfig(level=logging.DEBUG, format="  log  %(levelname)-7s %(name)s: %(message)s")
counter = Counter("c", 3, Reset.NewlinesReset)
print("  ", counter)
print("   has_count('hello-c-c-c-goodbye')   ->", counter.has_count("hello-c-c-c-goodbye"))
print("   has_count('hello-c-c-\\nc-goodbye') ->", counter.has_count("hello-c-c-\nc-goodbye"))
package.log_example()
package.log_different_levels()
try:
    package.greater_than_2(1)
except package.NumberTooSmallError as error:
    print(f"   greater_than_2(1) raised {type(error).__name__}: {error}")
print("   greater_than_2(5) ->", package.greater_than_2(5))
