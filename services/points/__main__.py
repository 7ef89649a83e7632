from services.points.entrypoints.main import main

main()
