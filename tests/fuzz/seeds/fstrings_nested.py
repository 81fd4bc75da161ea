# PEP 701 (3.12) f-strings: reused quotes, nesting, comments and backslashes in fields.
songs = ["Take me back to Eden", "Alkaline", "Ascensionism"]
print(f"This is the playlist: {", ".join(songs)}")
print(f"{f"{f"{f"{f"{1+1}"}"}"}"}")
print(f"{'\n'.join(songs)}")
print(f"""{
    songs[0]  # a comment inside the replacement field
}""")
width = 10
print(f"{'abc':{'<' if width else '>'}{width}}")
print(f"{f'{width:{width}}':>{width * 2}}")
print(f"result: {(lambda x: x * 2)(3)}")
print(f"{songs!r:.{width}} and {songs[-1]=}")
print(f"{'''triple ' inside'''}")
print(f'{"a" + f"{'b'}" + 'c'}')
print(f"{1:{2:{3}}}")
