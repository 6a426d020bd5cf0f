; Appended to tree-sitter-javascript's highlights query (a later pattern wins on the same
; node): its parameters query, then the scopes syntect's JavaScript grammar gives the tokens
; the theme colours. Capture names that end in `.js` are TextMate scopes, written as they are.

(formal_parameters
  [
    (identifier) @variable.parameter
    (array_pattern
      (identifier) @variable.parameter)
    (object_pattern
      [
        (pair_pattern value: (identifier) @variable.parameter)
        (shorthand_property_identifier_pattern) @variable.parameter
      ])
  ]
)
(formal_parameters
  (assignment_pattern left: (identifier) @variable.parameter))
(formal_parameters
  (object_pattern (object_assignment_pattern left: (shorthand_property_identifier_pattern) @variable.parameter)))
(formal_parameters
  (assignment_pattern
    left: (object_pattern
      (object_assignment_pattern left: (shorthand_property_identifier_pattern) @variable.parameter))))
(arrow_function parameter: (identifier) @variable.parameter)

["const" "let" "var" "function" "class" "extends" "static" "static get" "get" "set" "async"] @storage.type.js
"=>" @storage.type.function.arrow.js
["import" "export" "from" "new" "of" "in" "typeof" "instanceof" "delete" "void"] @keyword.operator.js
(member_expression "." @keyword.operator.accessor.js)
(regex "/" @string.regexp.js)

(pair key: (property_identifier) @string.unquoted.label.js)

(new_expression constructor: (identifier) @variable.function.js)
(call_expression function: (identifier) @variable.function.js)
((identifier) @support.class.builtin.js
 (#any-of? @support.class.builtin.js
   "Array" "ArrayBuffer" "Atomics" "BigInt" "Boolean" "DataView" "Date" "Error" "Function" "JSON"
   "Map" "Math" "Number" "Object" "Promise" "Proxy" "Reflect" "RegExp" "Set" "SharedArrayBuffer"
   "String" "Symbol" "WeakMap" "WeakSet"))
((identifier) @support.type.object.console.js
 (#eq? @support.type.object.console.js "console"))

(function_declaration name: (identifier) @entity.name.function.js)
(function_expression name: (identifier) @entity.name.function.js)
(method_definition name: (property_identifier) @entity.name.function.js)
(variable_declarator
  name: (identifier) @entity.name.function.js
  value: [(function_expression) (arrow_function)])
(class_declaration name: (identifier) @entity.name.class.js)
