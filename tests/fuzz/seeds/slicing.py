import numpy as np

data = list(range(20))
print(data[1], data[-1], data[2:5], data[:3], data[17:], data[::2], data[::-1], data[1:-1:3])
grid = np.zeros((4, 4, 4))
print(grid[1, 2], grid[:, 0], grid[..., 1], grid[1:, :2, ::2], grid[None, ...].shape)
print(grid[np.newaxis, :, 1], grid[(0, 1)], grid[0][1][2])
idx = (slice(None), 0)
print(grid[idx], grid[slice(1, None, 2)])
data[::2] = [0] * 10
del data[:5], data[0]
print(data[len(data) // 2 :], data[lambda: 0 if False else 0:] if False else None)
shape = (*grid.shape, 1)
print(data[*idx[1:]] if False else shape)  # PEP 646 star in subscripts (3.11)
