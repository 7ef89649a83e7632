from services.member.entrypoints.main import main

main()
