// Entry point of the `tether` command. Only argument parsing and dispatch live here.
process.stdout.write('');
console.error('tether: not built yet');
process.exit(2);
