import os


def walk(root):
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith('.')]
        for name in files:
            yield os.path.join(dirpath, name)


doc = '''triple quoted
across CRLF lines'''
total = 1 + \
    2
if __name__ == '__main__':
    print(sum(1 for _ in walk('.')), doc, total)
