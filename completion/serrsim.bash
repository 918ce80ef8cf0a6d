# bash completion for serrsim (installed as
# share/bash-completion/completions/serrsim).  Everything is asked of the
# serrsim being completed, so it always matches that binary: the commands,
# each command's options (from 'serrsim help COMMAND'), the knob names
# ('serrsim knobs'), the profile names (the list 'serrsim run -P' gives
# with an unknown name) and the register names ('serrsim regs').

_serrsim_cmds="run check explore migrate-matrix diff-qemu export knobs regs decode help"

_serrsim_options()	# $1 serrsim, $2 command
{
	"$1" help "$2" 2>/dev/null | grep -oE '(^|[ [,|])--?[A-Za-z][A-Za-z-]*' |
		sed 's/^[ [,|]*//' | sort -u
}

_serrsim_knobs()
{
	"$1" knobs 2>/dev/null | awk 'NR > 1 && !/^ / { print $1 }'
}

_serrsim_profiles()
{
	"$1" run -P '' 2>&1 >/dev/null | sed -n 's/.*(known: \(.*\)).*/\1/p' | tr -d ',' | tr ' ' '\n'
}

_serrsim_regs()
{
	"$1" regs 2>/dev/null | awk 'NR > 1 { print $1 }'
}

_serrsim()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion -n = || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi
	local self=${words[0]} cmd="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$_serrsim_cmds --help --version" -- "$cur"))
		return
	fi
	case $prev in
	-D | --define)
		local k
		if [[ $cur == *=* ]]; then
			COMPREPLY=()
		else
			COMPREPLY=($(compgen -S = -W "$(_serrsim_knobs "$self")" -- "$cur"))
			compopt -o nospace 2>/dev/null
		fi
		return ;;
	-P | --profile)
		COMPREPLY=($(compgen -W "$(_serrsim_profiles "$self")" -- "$cur"))
		return ;;
	--format)
		COMPREPLY=($(compgen -W "text csv json" -- "$cur"))
		return ;;
	--policy)
		COMPREPLY=($(compgen -W "all" -- "$cur"))
		return ;;
	-j | --jobs | --tag | --shard | --min-agree)
		return ;;
	--vcd | --gtkw | --trace-json | --html | --junit | -o | --output | --keep)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	esac
	case $cmd in
	help)
		[[ $i -eq $((cword - 1)) ]] && COMPREPLY=($(compgen -W "$_serrsim_cmds" -- "$cur"))
		return ;;
	regs | decode)
		# the register (the first argument); decode's value is free
		local nargs=0 j
		for ((j = i + 1; j < cword; j++)); do
			[[ ${words[j]} != -* ]] && nargs=$((nargs + 1))
		done
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$(_serrsim_options "$self" "$cmd")" -- "$cur"))
		elif [[ $nargs -eq 0 ]]; then
			COMPREPLY=($(compgen -W "$(_serrsim_regs "$self")" -- "${cur^^}"))
		fi
		return ;;
	knobs)
		COMPREPLY=($(compgen -W "$(_serrsim_options "$self" "$cmd")" -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_serrsim_options "$self" "$cmd")" -- "$cur"))
		return
	fi
	# scenarios: *.scn files and directories
	COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X '!*.scn' -- "$cur"))
	compopt -o filenames 2>/dev/null
}
complete -F _serrsim serrsim
