from clientport.cli import main

# Guarded: import-time side effects would re-run the CLI in spawned worker processes.
if __name__ == "__main__":
    main()
