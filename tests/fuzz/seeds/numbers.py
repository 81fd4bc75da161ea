ints = [0, 7, 2147483647, 79228162514264337593543950336, 1_000_000]
bases = [0b1010, 0B_1, 0o777, 0O_17, 0xdead_BEEF, 0X_ff]
floats = [3.14, 10., .001, 1e100, 3.14e-10, 0e0, 1_0.0_1, 1E+5, 6.02_2e2_3]
imag = [3.14j, 10.j, 10j, .001j, 1e100j, 3.14e-10J, 1_0J]
zeroes = [00, 0_0, 0.0, 0j]
mixed = 1 + 2j - 3.5 * 0x10 // 0o7 % 0b11 ** 2
print(ints, bases, floats, imag, zeroes, mixed, 1 .real, 1.0.hex(), 0x1.__class__)
