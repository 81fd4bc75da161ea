# ---
# jupyter:
#   kernelspec:
#     name: python3
# ---

import os

# %% Setup tags=["a"]
x = 1

# %% [markdown]
# # Notes
#%%
y = x
