# A UTF-8 byte order mark precedes this comment.
import sys

print("café", sys.byteorder)
