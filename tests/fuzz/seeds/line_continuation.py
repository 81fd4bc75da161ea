total = 1 + \
        2 + \
    3
if total > 5 and \
   total < 10:
    print("in range")
values = [
    1,  # one
    2,  # two

    3,
]
call = dict(
    a=1,
    # comment between arguments
    b=(
        2
    ),
)
text = "a long string that is \
continued"
assert \
    total
with open(__file__) as f, \
     open(__file__) as g:
    pass
expr = (1
        + 2
        * 3)
print(total, values, call, text, expr)
