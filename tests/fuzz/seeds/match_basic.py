def describe(command):
    match command.split():
        case []:
            return "empty"
        case ["go", direction] if direction in ("north", "south"):
            return f"going {direction}"
        case ["go", _]:
            return "unknown direction"
        case ["drop", *objects]:
            return f"dropping {len(objects)}"
        case ["quit" | "exit"]:
            return "bye"
        case [("look" | "inspect") as verb, obj]:
            return verb + obj
        case _:
            return "?"


def literal(value):
    match value:
        case 0 | 1 | -1:
            return "small"
        case 1.5 | 2j | -3 + 4j:
            return "complex"
        case "a" "b" | b"c":
            return "string"
        case None | True | False:
            return "singleton"
        case x:
            return x


print(describe("go north"), literal(-3 + 4j))
