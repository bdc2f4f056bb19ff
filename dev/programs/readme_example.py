"""Runs a README's Python example as a reader would, read from standard input, and checks each
line that states its result in a comment (`counter.has_count("c-c-c")  # True`): the value's
repr must be the comment's first word. Prints each checked line; exits 1 on a difference."""

import ast
import io
import sys
import tokenize

source = sys.stdin.read()
comments = {
    token.start[0]: token.string.lstrip("#").strip()
    for token in tokenize.generate_tokens(io.StringIO(source).readline)
    if token.type == tokenize.COMMENT
}
namespace: dict[str, object] = {}
wrong = 0
for node in ast.parse(source).body:
    code = ast.get_source_segment(source, node)
    stated = comments.get(node.end_lineno or 0, "")
    if isinstance(node, ast.Expr) and stated:
        value = eval(compile(ast.Expression(node.value), "<README>", "eval"), namespace)
        expected = stated.split(":")[0].split()[0]
        ok = repr(value) == expected
        wrong += not ok
        print(f"{'ok' if ok else 'WRONG'}: {code} -> {value!r} (the README says {expected})")
    else:
        exec(compile(ast.Module([node], []), "<README>", "exec"), namespace)
sys.exit(1 if wrong else 0)
