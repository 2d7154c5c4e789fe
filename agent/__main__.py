from summarise_agent.cli import main

main()
