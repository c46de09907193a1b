#!/usr/bin/env python
from clientport.cli import main

if __name__ == "__main__":
    main()
