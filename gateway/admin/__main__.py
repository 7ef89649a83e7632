from gateway.admin.cli import main

main()
