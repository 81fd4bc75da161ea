values = [1, 2, 3
total = sum(values)
text = "unterminated string
other = 'fine'
doc = """never closed
print(total)
