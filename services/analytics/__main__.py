from services.analytics.entrypoints.main import main

main()
