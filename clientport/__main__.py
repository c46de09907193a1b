from clientport.cli import main

main()
