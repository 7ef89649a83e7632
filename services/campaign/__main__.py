from services.campaign.entrypoints.main import main

main()
