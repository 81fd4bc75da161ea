import asyncio
import contextlib


@contextlib.asynccontextmanager
async def session(name):
    print("open", name)
    try:
        yield name
    finally:
        print("close", name)


async def ticker(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i


async def main():
    async with session("a") as a, session("b") as b:
        print(a, b)
    async for tick in ticker(3):
        print(tick)
    results = await asyncio.gather(*(asyncio.sleep(0, result=i) for i in range(3)))
    squares = [i * i async for i in ticker(4) if i]
    async with asyncio.timeout(1):
        await asyncio.sleep(0)
    return results, squares


class Resource:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False


if __name__ == "__main__":
    print(asyncio.run(main()))
