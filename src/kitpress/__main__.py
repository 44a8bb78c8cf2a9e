from kitpress.cli import main

main()
