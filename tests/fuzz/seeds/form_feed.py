"""Form feeds separate sections, as in older stdlib modules."""

import sys

def section_one():
    pass  # a form feed at the start of indentation resets the column count

# comment after a form feed
x = 1  + 2
print(section_one(), x, sys.argv)
