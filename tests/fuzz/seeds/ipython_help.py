import numpy as np
np.sum?
np.linalg.norm??
?np.mean
??np.median
np.*load*?
%timeit?
data = np.arange(10)
data.reshape?
