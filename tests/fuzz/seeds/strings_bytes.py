plain = 'single' "double" '''triple single''' """triple double"""
escapes = "tab\tnewline\nquote\"backslash\\bell\a\x41\101\u20ac\U0001F600\N{EM DASH}"
raw = r"C:\path\to\file" R'\d+\s*' r"\""
data = b"bytes\x00\xff" B'more' br"raw\bytes" Rb"\w" rb"\x00"
legacy = u"unicode prefix"
long_text = """Line one
    line two with 'quotes' and "quotes"
line three \
continued"""
implicit = ("part one, "
            "part two, "
            'part three')
empty = "" + '' + """""" + b"".decode()
doc = '''It\'s a "doc" string with \'\'\' escaped'''
print(plain, escapes, raw, data, legacy, long_text, implicit, empty, doc, sep="\n")
