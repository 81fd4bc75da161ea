import matplotlib.pyplot as plt
import numpy as np

x = np.linspace(0, 2 * np.pi, 200)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for k, style in zip(range(1, 4), ["-", "--", ":"]):
    ax1.plot(x, np.sin(k * x), style, label=f"sin({k}x)")
    ax2.plot(x, np.cos(k * x), style, label=rf"$\cos({k}x)$")
ax1.legend(loc="upper right"); ax2.legend()
ax1.set_title("Sine"); ax2.set_title("Cosine")
plt.tight_layout()
fig
