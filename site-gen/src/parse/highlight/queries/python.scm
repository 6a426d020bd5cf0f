; Appended to tree-sitter-python's highlights query (a later pattern wins on the same node):
; the scopes syntect's Python grammar gives the tokens the theme colours. Capture names that
; end in `.python` are TextMate scopes, written as they are.

((identifier) @variable.language.python
 (#any-of? @variable.language.python "self" "cls"))

["and" "or" "not" "is" "is not" "not in" "in"] @keyword.operator.logical.python
(for_statement "in" @keyword.control.flow.python)
(for_in_clause "in" @keyword.control.flow.python)
"async" @storage.modifier.async.python
"->" @punctuation.separator.annotation.python

(module . (expression_statement (string) @comment.block.documentation.python))
(function_definition body: (block . (expression_statement (string) @comment.block.documentation.python)))
(class_definition body: (block . (expression_statement (string) @comment.block.documentation.python)))

(class_definition name: (identifier) @entity.name.class.python)
; A dotted base class is captured token by token (the writer joins their spans): never the
; whole attribute, whose first token the grammar's query captures first (tree-sitter-highlight
; needs the outer capture first).
(class_definition superclasses: (argument_list (identifier) @entity.other.inherited-class.python))
(class_definition
  superclasses: (argument_list
    (attribute
      object: (identifier) @entity.other.inherited-class.python
      "." @entity.other.inherited-class.python
      attribute: (identifier) @entity.other.inherited-class.python)))
(call function: (attribute attribute: (identifier) @variable.function.python))

(decorator "@" @punctuation.definition.annotation.python)
(decorator (identifier) @variable.annotation.python)

(parameters (identifier) @variable.parameter.python)
(lambda_parameters (identifier) @variable.parameter.python)
(default_parameter name: (identifier) @variable.parameter.python)
(typed_parameter . (identifier) @variable.parameter.python)
(typed_default_parameter name: (identifier) @variable.parameter.python)
(list_splat_pattern (identifier) @variable.parameter.python)
(dictionary_splat_pattern (identifier) @variable.parameter.python)
(keyword_argument name: (identifier) @variable.parameter.python)

((call function: (identifier) @support.type.python)
 (#any-of? @support.type.python
   "bool" "bytearray" "bytes" "complex" "dict" "float" "frozenset" "int" "list" "object" "set"
   "str" "tuple" "type"))
((identifier) @support.type.exception.python
 (#match? @support.type.exception.python "^([A-Z][A-Za-z]*(Error|Exception|Warning)|KeyboardInterrupt|StopIteration|StopAsyncIteration|SystemExit|GeneratorExit)$"))
(function_definition name: (identifier) @entity.name.function.python)
