#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Only comments and blank lines: an empty module.

    # an indented comment does not open a block

#: sphinx-style comment
# type: ignore
