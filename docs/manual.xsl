<?xml version="1.0" encoding="UTF-8"?>
<!-- SPDX-License-Identifier: Apache-2.0 -->
<!--
  docs/manual.xsl: renders a modulesynopsis document (httpd's manual format,
  docs/mod_hsts.xml) as one self-contained HTML page: the style sheet is
  inline, there are no scripts, images or other files to load.

    xsltproc -novalid -stringparam version 0.1.0 docs/manual.xsl \
        docs/mod_hsts.xml > docs/mod_hsts.html

  It knows the elements of httpd's modulesynopsis and common DTDs that a
  module manual uses; the layout follows httpd's own module pages (a
  summary box, the directives with their synopsis tables).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

<xsl:include href="common.xsl"/>

<xsl:output method="html" encoding="UTF-8" indent="no"
            doctype-system="about:legacy-compat"/>

<xsl:param name="version" select="''"/>
<!-- where directives and modules of httpd itself link to -->
<xsl:param name="httpd-docs" select="'https://httpd.apache.org/docs/2.4/mod/'"/>

<xsl:variable name="module" select="/modulesynopsis/name"/>

<xsl:template match="/modulesynopsis">
<html lang="en">
<head>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title><xsl:value-of select="name"/> - Apache HTTP Server module</title>
<style>
body { font-family: sans-serif; line-height: 1.45; color: #222;
       max-width: 60em; margin: 0 auto; padding: 0 1em 3em; }
h1 { border-bottom: 2px solid #525d76; padding-bottom: .2em; }
h2 { background: #525d76; color: #fff; padding: .2em .4em;
     font-size: 1.2em; margin-top: 2em; }
h2 a, h2 a:visited { color: #fff; }
h3 { color: #525d76; margin-top: 1.5em; }
a { color: #2255aa; }
code, pre, var { font-family: monospace; font-size: .95em; }
code { background: #f3f3f3; padding: 0 .15em; }
pre { background: #f3f3f3; border: 1px solid #ddd; padding: .6em .8em;
      overflow-x: auto; line-height: 1.3; }
pre.config { border-left: 4px solid #525d76; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: .8em 0; }
th, td { border: 1px solid #bbb; padding: .3em .5em; text-align: left;
         vertical-align: top; }
th { background: #e6e8ee; }
table.zebra tr:nth-child(even) td { background: #f7f7f9; }
td.group { background: #eef0f5 !important; }
table.meta, table.directive { border: 1px solid #525d76; width: 100%; }
table.meta th, table.directive th { width: 11em; background: #e6e8ee; }
.note { border: 1px solid #c8c8c8; background: #fafaf0; padding: .2em 1em;
        margin: 1em 0; }
.note.warning { border-color: #d08770; background: #fdf3ef; }
.note .title { font-weight: bold; margin-bottom: 0; }
ul.toc { columns: 2; }
dt { font-weight: bold; margin-top: .6em; }
.footer { margin-top: 3em; border-top: 1px solid #ccc; font-size: .85em;
          color: #666; }
</style>
</head>
<body>
<h1>Apache Module <xsl:value-of select="name"/></h1>

<table class="meta">
  <tr><th>Description:</th><td><xsl:apply-templates select="description"/></td></tr>
  <tr><th>Status:</th><td><xsl:value-of select="status"/></td></tr>
  <xsl:if test="identifier">
    <tr><th>Module Identifier:</th><td><xsl:value-of select="identifier"/></td></tr>
  </xsl:if>
  <xsl:if test="sourcefile">
    <tr><th>Source File:</th><td><xsl:value-of select="sourcefile"/></td></tr>
  </xsl:if>
  <xsl:if test="compatibility">
    <tr><th>Compatibility:</th><td><xsl:apply-templates select="compatibility"/></td></tr>
  </xsl:if>
  <xsl:if test="$version != ''">
    <tr><th>Version:</th><td><xsl:value-of select="name"/><xsl:text> </xsl:text><xsl:value-of select="$version"/></td></tr>
  </xsl:if>
</table>

<h3>Summary</h3>
<xsl:apply-templates select="summary/node()"/>

<h3>Directives</h3>
<ul class="toc">
  <xsl:for-each select="directivesynopsis">
    <xsl:sort select="name"/>
    <li><a href="#{translate(name, $upper, $lower)}"><xsl:value-of select="name"/></a></li>
  </xsl:for-each>
</ul>

<h3>Topics</h3>
<ul>
  <xsl:for-each select="section">
    <li><a href="#{@id}"><xsl:apply-templates select="title/node()"/></a>
      <xsl:if test="section">
        <ul>
          <xsl:for-each select="section">
            <li><a href="#{@id}"><xsl:apply-templates select="title/node()"/></a></li>
          </xsl:for-each>
        </ul>
      </xsl:if>
    </li>
  </xsl:for-each>
</ul>

<xsl:if test="seealso">
  <h3>See also</h3>
  <ul>
    <xsl:for-each select="seealso">
      <li><xsl:apply-templates/></li>
    </xsl:for-each>
  </ul>
</xsl:if>

<xsl:apply-templates select="section"/>

<xsl:for-each select="directivesynopsis">
  <xsl:sort select="name"/>
  <xsl:apply-templates select="."/>
</xsl:for-each>

<p class="footer">Generated from <code><xsl:value-of select="name"/>.xml</code>
(httpd's modulesynopsis format).</p>
</body>
</html>
</xsl:template>

<!-- Sections: h2 at the top level, h3 below. -->
<xsl:template match="section">
  <xsl:choose>
    <xsl:when test="parent::modulesynopsis">
      <h2 id="{@id}"><xsl:apply-templates select="title/node()"/></h2>
    </xsl:when>
    <xsl:otherwise>
      <h3 id="{@id}"><xsl:apply-templates select="title/node()"/></h3>
    </xsl:otherwise>
  </xsl:choose>
  <xsl:apply-templates select="*[not(self::title)]"/>
</xsl:template>

<xsl:template match="directivesynopsis">
  <xsl:variable name="id" select="translate(name, $upper, $lower)"/>
  <h2 id="{$id}"><a href="#{$id}"><xsl:value-of select="name"/></a> Directive</h2>
  <table class="directive">
    <tr><th>Description:</th><td><xsl:apply-templates select="description"/></td></tr>
    <tr><th>Syntax:</th><td><code><xsl:apply-templates select="syntax"/></code></td></tr>
    <tr><th>Default:</th><td>
      <xsl:choose>
        <xsl:when test="normalize-space(default) = 'none' or not(default)">none</xsl:when>
        <xsl:when test="starts-with(normalize-space(default), concat(name, ' '))">
          <code><xsl:apply-templates select="default"/></code></xsl:when>
        <xsl:otherwise><xsl:apply-templates select="default"/></xsl:otherwise>
      </xsl:choose>
    </td></tr>
    <tr><th>Context:</th><td>
      <xsl:for-each select="contextlist/context">
        <xsl:value-of select="."/>
        <xsl:if test="position() != last()">, </xsl:if>
      </xsl:for-each>
    </td></tr>
    <xsl:if test="override">
      <tr><th>Override:</th><td><xsl:value-of select="override"/></td></tr>
    </xsl:if>
    <tr><th>Status:</th><td><xsl:value-of select="/modulesynopsis/status"/></td></tr>
    <tr><th>Module:</th><td><xsl:value-of select="$module"/></td></tr>
    <xsl:if test="compatibility">
      <tr><th>Compatibility:</th><td><xsl:apply-templates select="compatibility"/></td></tr>
    </xsl:if>
  </table>
  <xsl:apply-templates select="usage/node()"/>
  <xsl:if test="seealso">
    <p>See also:</p>
    <ul>
      <xsl:for-each select="seealso"><li><xsl:apply-templates/></li></xsl:for-each>
    </ul>
  </xsl:if>
</xsl:template>

<!-- Block elements -->
<xsl:template match="p"><p><xsl:apply-templates/></p></xsl:template>
<xsl:template match="ul"><ul><xsl:apply-templates/></ul></xsl:template>
<xsl:template match="ol"><ol><xsl:apply-templates/></ol></xsl:template>
<xsl:template match="li"><li><xsl:apply-templates/></li></xsl:template>
<xsl:template match="dl"><dl><xsl:apply-templates/></dl></xsl:template>
<xsl:template match="dt"><dt><xsl:apply-templates/></dt></xsl:template>
<xsl:template match="dd"><dd><xsl:apply-templates/></dd></xsl:template>
<xsl:template match="blockquote"><blockquote><xsl:apply-templates/></blockquote></xsl:template>

<xsl:template match="note">
  <div>
    <xsl:attribute name="class">
      <xsl:text>note</xsl:text>
      <xsl:if test="@type"><xsl:text> </xsl:text><xsl:value-of select="@type"/></xsl:if>
    </xsl:attribute>
    <xsl:if test="title">
      <p class="title"><xsl:apply-templates select="title/node()"/></p>
    </xsl:if>
    <xsl:apply-templates select="node()[not(self::title)]"/>
  </div>
</xsl:template>

<xsl:template match="highlight">
  <pre class="config"><code><xsl:call-template name="dedent">
    <xsl:with-param name="text" select="."/>
  </xsl:call-template></code></pre>
</xsl:template>

<xsl:template match="example | pre">
  <pre class="example"><xsl:call-template name="dedent">
    <xsl:with-param name="text" select="."/>
  </xsl:call-template></pre>
</xsl:template>

<xsl:template match="table">
  <table>
    <xsl:if test="@style = 'zebra'"><xsl:attribute name="class">zebra</xsl:attribute></xsl:if>
    <xsl:if test="columnspec">
      <colgroup>
        <xsl:for-each select="columnspec/column">
          <col style="width: {round(@width * 100)}%"/>
        </xsl:for-each>
      </colgroup>
    </xsl:if>
    <xsl:apply-templates select="tr"/>
  </table>
</xsl:template>
<xsl:template match="tr"><tr><xsl:apply-templates select="th | td"/></tr></xsl:template>
<xsl:template match="th">
  <th><xsl:copy-of select="@colspan | @rowspan"/><xsl:apply-templates/></th>
</xsl:template>
<xsl:template match="td">
  <td>
    <xsl:copy-of select="@colspan | @rowspan"/>
    <xsl:if test="@colspan"><xsl:attribute name="class">group</xsl:attribute></xsl:if>
    <xsl:apply-templates/>
  </td>
</xsl:template>

<!-- Inline elements -->
<xsl:template match="code"><code><xsl:apply-templates/></code></xsl:template>
<xsl:template match="var"><var><xsl:apply-templates/></var></xsl:template>
<xsl:template match="em"><em><xsl:apply-templates/></em></xsl:template>
<xsl:template match="strong"><strong><xsl:apply-templates/></strong></xsl:template>
<xsl:template match="cite"><cite><xsl:apply-templates/></cite></xsl:template>
<xsl:template match="q"><q><xsl:apply-templates/></q></xsl:template>
<xsl:template match="dfn"><dfn><xsl:apply-templates/></dfn></xsl:template>
<xsl:template match="br"><br/></xsl:template>
<xsl:template match="program"><code><xsl:apply-templates/></code></xsl:template>
<xsl:template match="a">
  <a><xsl:copy-of select="@href | @id"/><xsl:apply-templates/></a>
</xsl:template>

<xsl:template match="module">
  <xsl:choose>
    <xsl:when test=". = $module"><code><xsl:value-of select="."/></code></xsl:when>
    <xsl:otherwise>
      <a href="{$httpd-docs}{.}.html"><code><xsl:value-of select="."/></code></a>
    </xsl:otherwise>
  </xsl:choose>
</xsl:template>

<xsl:template match="directive">
  <xsl:variable name="name">
    <xsl:choose>
      <xsl:when test="@name"><xsl:value-of select="@name"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="label">
    <xsl:if test="@type = 'section'">&lt;</xsl:if>
    <xsl:value-of select="."/>
    <xsl:if test="@type = 'section'">&gt;</xsl:if>
  </xsl:variable>
  <xsl:variable name="anchor" select="translate($name, $upper, $lower)"/>
  <xsl:choose>
    <xsl:when test="@module = $module or (not(@module) and /modulesynopsis/directivesynopsis[name = $name])">
      <a href="#{$anchor}"><code><xsl:value-of select="$label"/></code></a>
    </xsl:when>
    <xsl:when test="@module">
      <a href="{$httpd-docs}{@module}.html#{$anchor}"><code><xsl:value-of select="$label"/></code></a>
    </xsl:when>
    <xsl:otherwise><code><xsl:value-of select="$label"/></code></xsl:otherwise>
  </xsl:choose>
</xsl:template>

</xsl:stylesheet>
