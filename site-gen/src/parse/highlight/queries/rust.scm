; Appended to tree-sitter-rust's highlights query (a later pattern wins on the same node):
; the scopes syntect's Rust grammar gives the tokens the theme colours. Capture names that
; end in `.rust` are TextMate scopes, written as they are.

[
  "fn" "let" "pub" "struct" "enum" "impl" "trait" "const" "static" "move" "unsafe" "mod"
  "type" "extern" "async" "union"
] @storage.type.rust
(mutable_specifier) @storage.modifier.rust
; A lifetime's quote and name (the writer joins their spans). Never a capture of the whole
; lifetime here: tree-sitter-highlight needs a node's capture before those of the tokens that
; start where it does, and gets the grammar query's first. The same holds for every pattern
; below: each captures a token or a node none of whose first tokens the grammar's query
; captures.
(lifetime "'" @label)

[
  "=" "==" "!=" "<" "<=" ">" ">=" "+" "-" "*" "/" "%" "&&" "||" ".." "..=" "=>"
  "+=" "-=" "*=" "/=" "%=" "&" "|" "^" "<<" ">>" "&=" "|=" "^=" "<<=" ">>=" "as" "in"
] @keyword.operator.rust
(type_arguments ["<" ">"] @punctuation.bracket)
(type_parameters ["<" ">"] @punctuation.bracket)
(closure_parameters "|" @punctuation.bracket)
(unary_expression "!" @keyword.operator.rust)
(macro_invocation "!" @function.macro)
; A doc comment's `!` or third `/` (taken for operators above).
(inner_doc_comment_marker "!" @comment.line.documentation.rust)
(outer_doc_comment_marker "/" @comment.line.documentation.rust)

; syntect's grammar colours the prelude's types and variants, and leaves other types plain
; (the grammar's query colours every type name, and every call).
((type_identifier) @support.type.rust
 (#any-of? @support.type.rust
   "Box" "Clone" "Copy" "Drop" "Eq" "Fn" "FnMut" "FnOnce" "From" "Into" "IntoIterator"
   "Iterator" "Option" "Ord" "PartialEq" "PartialOrd" "Result" "Send" "Sized" "String" "Sync"
   "ToOwned" "ToString" "Vec"))
((identifier) @support.type.rust
 (#any-of? @support.type.rust
   "Some" "None" "Ok" "Err" "Box" "Option" "Result" "String" "Vec"))
((type_identifier) @storage.type.rust
 (#eq? @storage.type.rust "Self"))
((identifier) @storage.type.rust
 (#eq? @storage.type.rust "Self"))

(integer_literal) @constant.numeric.rust
(float_literal) @constant.numeric.rust

(struct_item name: (type_identifier) @entity.name.struct.rust)
(enum_item name: (type_identifier) @entity.name.enum.rust)
(trait_item name: (type_identifier) @entity.name.trait.rust)
(type_item name: (type_identifier) @entity.name.type.rust)
(impl_item type: (type_identifier) @entity.name.impl.rust)
(impl_item type: (generic_type type: (type_identifier) @entity.name.impl.rust))
(function_item name: (identifier) @entity.name.function.rust)
(function_signature_item name: (identifier) @entity.name.function.rust)
(const_item name: (identifier) @constant.other.rust)
(static_item name: (identifier) @constant.other.rust)

(closure_parameters (identifier) @variable.parameter.rust)
(self_parameter (self) @variable.parameter.rust)

(attribute_item "#" @punctuation.definition.annotation.rust)
(inner_attribute_item "#" @punctuation.definition.annotation.rust)
(attribute . (identifier) @variable.annotation.rust)
