class Config:
	debug = False

	def load(self, path):
		with open(path) as f:
			for line in f:
				key, _, value = line.partition('=')
				if key:
					setattr(self, key.strip(), value.strip())
		return self


def spaces_then_tab():
        x = 1  # eight spaces
        if x:
        	y = 2  # eight spaces then a tab: consistent with 16 columns
        return x


table = {
	'a':	1,
	'b':	2,
}
print(Config().debug, spaces_then_tab(), table)
