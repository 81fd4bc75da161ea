import pandas as pd
import numpy as np

df = pd.read_csv("data/sales.csv", parse_dates=["date"])
df["month"] = df["date"].dt.to_period("M")
summary = (
    df.groupby(["region", "month"], as_index=False)
      .agg(total=("amount", "sum"), orders=("id", "count"))
      .sort_values(["region", "month"])
)
summary["share"] = summary["total"] / summary.groupby("region")["total"].transform("sum")
top = summary.query("share > 0.1 and orders >= @np.int64(5)")
top.loc[top["region"] == "EU", "total"] *= 1.2
pivot = top.pivot_table(index="month", columns="region", values="total", fill_value=0)
pivot.head()
