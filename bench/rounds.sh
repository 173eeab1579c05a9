# Sourced by the benchmark scripts: the order targets run in, round by round. Interleaving
# spreads the machine's drift (other work, thermal, page cache) over every target alike: the
# order rotates by one each round and reverses every other round.
# round_order ROUND NAME... : prints the names in ROUND's order, one per line.
round_order() {
    local round="$1"; shift
    local names=("$@") count="$#" order=() i
    for i in $(seq 0 $((count - 1))); do order+=("${names[$(( (i + round - 1) % count ))]}"); done
    if (( round % 2 == 0 )); then printf '%s\n' "${order[@]}" | tac; else printf '%s\n' "${order[@]}"; fi
}
