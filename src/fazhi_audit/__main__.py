from fazhi_audit.cli.app import main

main()
