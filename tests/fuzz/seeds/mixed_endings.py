x = 1
y = 2z = 3
if x:
    print(x, y, z)    print('mixed')
