# -*- coding: latin-1 -*-
# Bytes below are latin-1, not UTF-8.
name = "François"
symbol = "£ µ éè"
print(name, symbol)
