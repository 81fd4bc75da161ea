# -*- coding: utf-8 -*-
"""Identifiers, strings and comments outside ASCII."""
π = 3.14159
größe = 10
naïve_ratio = π / größe
变量 = "中文字符串"
переменная = "кириллица"
ﬁle = "NFKC makes this 'file'"
𝐱 = 2  # mathematical bold x, NFKC 'x'
café = "e with acute"
μ = "micro sign, NFKC μ"
Ωmega = ["Ω", "Ω"]
emoji = "🐍 python 🚀"
mixed_ß = "ẞ"
print(π, größe, naïve_ratio, 变量, переменная, file, x, café, μ, Ωmega, emoji, mixed_ß)


class Ünïcödé:
    def método(self, paramètre="défaut"):
        return paramètre


print(Ünïcödé().método(), "\N{GREEK SMALL LETTER ALPHA}", "zero​width")  # has U+200B
