; The whole highlights query for TOML (tree-sitter-toml-ng's own captures each pair around
; its key, which starts where the key does: tree-sitter-highlight needs the outer capture
; first and gets it second). Each capture name is the scope syntect's TOML grammar gives the
; same tokens.

(bare_key) @entity.name.tag.toml
(quoted_key) @string.quoted.toml

(table (bare_key) @entity.name.table.toml)
(table (dotted_key (bare_key) @entity.name.table.toml))
(table (dotted_key (dotted_key (bare_key) @entity.name.table.toml)))
(table (dotted_key (dotted_key (dotted_key (bare_key) @entity.name.table.toml))))
(table_array_element (bare_key) @entity.name.table.toml)
(table_array_element (dotted_key (bare_key) @entity.name.table.toml))
(table_array_element (dotted_key (dotted_key (bare_key) @entity.name.table.toml)))

(comment) @comment.line.number-sign.toml
(string) @string.quoted.toml
(escape_sequence) @constant.character.escape.toml
(boolean) @constant.language.toml
[(integer) (float)] @constant.numeric.toml
[(offset_date_time) (local_date_time) (local_date) (local_time)] @constant.other.datetime.toml
