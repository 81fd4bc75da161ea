%matplotlib inline
%load_ext autoreload
%autoreload 2
%config InlineBackend.figure_format = 'retina'
!pip install --quiet numpy pandas
!!ls -la
import numpy as np

files = !ls *.csv
timing = %timeit -o np.arange(1000).sum()
%env DATA_DIR=/tmp/data
%cd /tmp
if not files:
    !echo "no csv files" \
        && touch empty.csv
    %time np.zeros(10)
for f in files:
    print(f)
%who
