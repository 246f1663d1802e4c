#!/bin/sh
# slow-gnuplot.sh FOLDER - make FOLDER/gnuplot, a stand-in for gnuplot that
# writes its pid to FOLDER/gnuplot.pid and then sleeps (for the signal
# cases: a tool stopped while it waits for gnuplot must end it).
cat > "$1/gnuplot" <<SCRIPT
#!/bin/sh
echo \$\$ > "$1/gnuplot.pid.tmp" && mv "$1/gnuplot.pid.tmp" "$1/gnuplot.pid"
exec sleep 120
SCRIPT
chmod +x "$1/gnuplot"
