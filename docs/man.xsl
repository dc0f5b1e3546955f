<?xml version="1.0" encoding="UTF-8"?>
<!-- SPDX-License-Identifier: Apache-2.0 -->
<!--
  docs/man.xsl: renders a modulesynopsis document (httpd's manual format,
  docs/mod_hsts.xml) as a man page in roff (man(7) macros).

    xsltproc -novalid -stringparam version 0.1.0 -stringparam date 2025-01-01 \
        docs/man.xsl docs/mod_hsts.xml > docs/mod_hsts.8

  Layout: NAME, SYNOPSIS (LoadModule and every directive's syntax),
  DESCRIPTION (the summary), one section per <section>, DIRECTIVES (sorted,
  each with syntax, default, context and usage), SEE ALSO. Tables become
  tagged paragraphs: the first cell is the tag, the other cells follow
  under their column headings, so they read well at 80 columns.

  Inline text is collected, then whitespace-normalised onto one output
  line that starts with \&, so no text line can be taken for a request.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

<xsl:include href="common.xsl"/>

<xsl:output method="text" encoding="UTF-8"/>

<xsl:param name="version" select="''"/>
<xsl:param name="date" select="''"/>
<xsl:param name="section" select="'8'"/>

<xsl:variable name="module" select="/modulesynopsis/name"/>
<xsl:variable name="nl" select="'&#10;'"/>

<xsl:template match="/modulesynopsis">
  <xsl:text>.\" Generated from </xsl:text>
  <xsl:value-of select="$module"/>
  <xsl:text>.xml by man.xsl: edit the XML, not this file.&#10;</xsl:text>
  <xsl:text>.TH </xsl:text>
  <xsl:value-of select="translate($module, $lower, $upper)"/>
  <xsl:text> </xsl:text><xsl:value-of select="$section"/>
  <xsl:text> "</xsl:text><xsl:value-of select="$date"/>
  <xsl:text>" "</xsl:text><xsl:value-of select="$module"/>
  <xsl:if test="$version != ''"><xsl:text> </xsl:text><xsl:value-of select="$version"/></xsl:if>
  <xsl:text>" "Apache HTTP Server modules"&#10;</xsl:text>
  <!-- no hyphenation or justification: directive names stay whole -->
  <xsl:text>.nh&#10;.ad l&#10;</xsl:text>

  <xsl:text>.SH NAME&#10;</xsl:text>
  <xsl:value-of select="$module"/>
  <xsl:text> \- </xsl:text>
  <xsl:call-template name="roff-escape">
    <xsl:with-param name="text" select="normalize-space(description)"/>
  </xsl:call-template>
  <xsl:text>&#10;</xsl:text>

  <xsl:text>.SH SYNOPSIS&#10;.nf&#10;</xsl:text>
  <xsl:text>\fBLoadModule </xsl:text><xsl:value-of select="identifier"/>
  <xsl:text> modules/</xsl:text><xsl:value-of select="$module"/>
  <xsl:text>.so\fR&#10;.sp&#10;</xsl:text>
  <xsl:for-each select="directivesynopsis">
    <xsl:sort select="name"/>
    <xsl:call-template name="inline-line">
      <xsl:with-param name="nodes" select="syntax"/>
      <xsl:with-param name="font" select="'B'"/>
      <xsl:with-param name="code" select="true()"/>
    </xsl:call-template>
  </xsl:for-each>
  <xsl:text>.fi&#10;</xsl:text>

  <xsl:text>.SH DESCRIPTION&#10;</xsl:text>
  <xsl:apply-templates select="summary/*"/>
  <xsl:text>.PP&#10;</xsl:text>
  <xsl:text>\&amp;Status: </xsl:text><xsl:value-of select="status"/>
  <xsl:text>. Module identifier: \fB</xsl:text><xsl:value-of select="identifier"/>
  <xsl:text>\fR. Source file: </xsl:text><xsl:value-of select="sourcefile"/>
  <xsl:text>.&#10;</xsl:text>
  <xsl:if test="compatibility">
    <xsl:text>.br&#10;</xsl:text>
    <xsl:call-template name="inline-line">
      <xsl:with-param name="nodes" select="compatibility"/>
      <xsl:with-param name="prefix" select="'Compatibility: '"/>
    </xsl:call-template>
  </xsl:if>

  <xsl:apply-templates select="section"/>

  <xsl:text>.SH DIRECTIVES&#10;</xsl:text>
  <xsl:for-each select="directivesynopsis">
    <xsl:sort select="name"/>
    <xsl:apply-templates select="."/>
  </xsl:for-each>

  <xsl:text>.SH SEE ALSO&#10;</xsl:text>
  <xsl:text>\&amp;\fBapache2\fR(8), \fBapachectl\fR(8), \fBa2enmod\fR(8)&#10;</xsl:text>
  <xsl:for-each select="seealso">
    <xsl:text>.br&#10;</xsl:text>
    <xsl:call-template name="inline-line">
      <xsl:with-param name="nodes" select="."/>
    </xsl:call-template>
  </xsl:for-each>
  <xsl:text>.PP&#10;\&amp;The same manual as HTML: mod_hsts.html, installed with the documentation.&#10;</xsl:text>
</xsl:template>

<!-- ================================================================ -->
<!-- Sections and directives                                           -->

<xsl:template match="section">
  <xsl:choose>
    <xsl:when test="parent::modulesynopsis">
      <xsl:text>.SH "</xsl:text>
      <xsl:value-of select="translate(normalize-space(title), concat($lower, '&quot;'), $upper)"/>
    </xsl:when>
    <xsl:otherwise>
      <xsl:text>.SS "</xsl:text>
      <xsl:value-of select="translate(normalize-space(title), '&quot;', '')"/>
    </xsl:otherwise>
  </xsl:choose>
  <xsl:text>"&#10;</xsl:text>
  <xsl:apply-templates select="*[not(self::title)]"/>
</xsl:template>

<xsl:template match="directivesynopsis">
  <xsl:text>.SS </xsl:text><xsl:value-of select="name"/><xsl:text>&#10;</xsl:text>
  <xsl:text>.PP&#10;</xsl:text>
  <xsl:call-template name="inline-line">
    <xsl:with-param name="nodes" select="description"/>
  </xsl:call-template>
  <xsl:text>.PP&#10;</xsl:text>
  <xsl:call-template name="inline-line">
    <xsl:with-param name="nodes" select="syntax"/>
    <xsl:with-param name="prefix" select="'Syntax: '"/>
    <xsl:with-param name="font" select="'B'"/>
    <xsl:with-param name="code" select="true()"/>
  </xsl:call-template>
  <xsl:text>.br&#10;</xsl:text>
  <xsl:choose>
    <xsl:when test="starts-with(normalize-space(default), concat(name, ' '))">
      <xsl:call-template name="inline-line">
        <xsl:with-param name="nodes" select="default"/>
        <xsl:with-param name="prefix" select="'Default: '"/>
        <xsl:with-param name="font" select="'B'"/>
        <xsl:with-param name="code" select="true()"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:when test="default">
      <xsl:call-template name="inline-line">
        <xsl:with-param name="nodes" select="default"/>
        <xsl:with-param name="prefix" select="'Default: '"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:otherwise><xsl:text>\&amp;Default: none&#10;</xsl:text></xsl:otherwise>
  </xsl:choose>
  <xsl:text>.br&#10;\&amp;Context: </xsl:text>
  <xsl:for-each select="contextlist/context">
    <xsl:value-of select="normalize-space(.)"/>
    <xsl:if test="position() != last()">, </xsl:if>
  </xsl:for-each>
  <xsl:text>&#10;</xsl:text>
  <xsl:if test="compatibility">
    <xsl:text>.br&#10;</xsl:text>
    <xsl:call-template name="inline-line">
      <xsl:with-param name="nodes" select="compatibility"/>
      <xsl:with-param name="prefix" select="'Compatibility: '"/>
    </xsl:call-template>
  </xsl:if>
  <xsl:apply-templates select="usage/*"/>
</xsl:template>

<!-- ================================================================ -->
<!-- Blocks                                                            -->

<xsl:template match="p">
  <xsl:text>.PP&#10;</xsl:text>
  <xsl:call-template name="inline-line"/>
</xsl:template>

<xsl:template match="ul/li | ol/li">
  <xsl:choose>
    <xsl:when test="parent::ol">
      <xsl:text>.IP </xsl:text><xsl:value-of select="position()"/><xsl:text>. 4&#10;</xsl:text>
    </xsl:when>
    <xsl:otherwise><xsl:text>.IP \(bu 2&#10;</xsl:text></xsl:otherwise>
  </xsl:choose>
  <xsl:call-template name="item-body"/>
</xsl:template>

<xsl:template match="ul | ol">
  <xsl:apply-templates select="li"/>
  <xsl:text>.PP&#10;</xsl:text>
</xsl:template>

<xsl:template match="dl">
  <xsl:apply-templates select="dt | dd"/>
  <xsl:text>.PP&#10;</xsl:text>
</xsl:template>

<xsl:template match="dt">
  <xsl:text>.TP&#10;</xsl:text>
  <xsl:call-template name="inline-line">
    <xsl:with-param name="font" select="'B'"/>
  </xsl:call-template>
</xsl:template>

<xsl:template match="dd">
  <xsl:call-template name="item-body"/>
</xsl:template>

<!--
  The body of a list item or a definition: its text, or its first
  paragraph, on the tag's line; further blocks indented below it.
-->
<xsl:template name="item-body">
  <xsl:variable name="blocks" select="p | ul | ol | dl | table | highlight | example | pre | note | blockquote"/>
  <xsl:choose>
    <xsl:when test="not($blocks)">
      <xsl:call-template name="inline-line"/>
    </xsl:when>
    <xsl:otherwise>
      <xsl:choose>
        <xsl:when test="$blocks[1][self::p]">
          <xsl:call-template name="inline-line">
            <xsl:with-param name="nodes" select="$blocks[1]"/>
          </xsl:call-template>
          <xsl:if test="count($blocks) &gt; 1">
            <xsl:text>.RS&#10;</xsl:text>
            <xsl:apply-templates select="$blocks[position() &gt; 1]"/>
            <xsl:text>.RE&#10;</xsl:text>
          </xsl:if>
        </xsl:when>
        <xsl:otherwise>
          <xsl:text>\&amp;&#10;.RS&#10;</xsl:text>
          <xsl:apply-templates select="$blocks"/>
          <xsl:text>.RE&#10;</xsl:text>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:otherwise>
  </xsl:choose>
</xsl:template>

<xsl:template match="note">
  <xsl:text>.PP&#10;</xsl:text>
  <xsl:choose>
    <xsl:when test="title">
      <xsl:call-template name="inline-line">
        <xsl:with-param name="nodes" select="title"/>
        <xsl:with-param name="font" select="'B'"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:otherwise><xsl:text>\&amp;\fBNote\fR&#10;</xsl:text></xsl:otherwise>
  </xsl:choose>
  <xsl:text>.RS 4&#10;</xsl:text>
  <xsl:choose>
    <xsl:when test="p | ul | ol | dl | table | highlight | example | pre">
      <xsl:apply-templates select="*[not(self::title)]"/>
    </xsl:when>
    <xsl:otherwise>
      <xsl:text>.PP&#10;</xsl:text>
      <xsl:call-template name="inline-line">
        <xsl:with-param name="nodes" select="node()[not(self::title)]"/>
      </xsl:call-template>
    </xsl:otherwise>
  </xsl:choose>
  <xsl:text>.RE&#10;</xsl:text>
</xsl:template>

<xsl:template match="blockquote">
  <xsl:text>.RS 4&#10;</xsl:text>
  <xsl:apply-templates select="*"/>
  <xsl:text>.RE&#10;</xsl:text>
</xsl:template>

<!-- Code blocks: literal lines, indented, with - and \ escaped. -->
<xsl:template match="highlight | example | pre">
  <xsl:variable name="text">
    <xsl:call-template name="dedent">
      <xsl:with-param name="text" select="."/>
    </xsl:call-template>
  </xsl:variable>
  <xsl:text>.PP&#10;.RS 4&#10;.nf&#10;</xsl:text>
  <xsl:call-template name="literal-lines">
    <xsl:with-param name="text" select="$text"/>
  </xsl:call-template>
  <xsl:text>.fi&#10;.RE&#10;</xsl:text>
</xsl:template>

<xsl:template name="literal-lines">
  <xsl:param name="text"/>
  <xsl:text>\&amp;</xsl:text>
  <xsl:call-template name="roff-escape">
    <xsl:with-param name="text" select="substring-before(concat($text, $nl), $nl)"/>
    <xsl:with-param name="code" select="true()"/>
  </xsl:call-template>
  <xsl:text>&#10;</xsl:text>
  <xsl:if test="contains($text, $nl)">
    <xsl:call-template name="literal-lines">
      <xsl:with-param name="text" select="substring-after($text, $nl)"/>
    </xsl:call-template>
  </xsl:if>
</xsl:template>

<!--
  Tables: a row that is one cell across the table is a heading; in every
  other row the first cell is the tag of a tagged paragraph and each
  further cell is a line "Heading: text".
-->
<xsl:template match="table">
  <xsl:variable name="head" select="tr[th][1]"/>
  <xsl:for-each select="tr[td]">
    <xsl:choose>
      <xsl:when test="count(td) = 1 and td/@colspan">
        <xsl:text>.PP&#10;</xsl:text>
        <xsl:call-template name="inline-line">
          <xsl:with-param name="nodes" select="td"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>.TP&#10;</xsl:text>
        <xsl:call-template name="inline-line">
          <xsl:with-param name="nodes" select="td[1]"/>
          <xsl:with-param name="font" select="'B'"/>
        </xsl:call-template>
        <xsl:for-each select="td[position() &gt; 1]">
          <xsl:variable name="col" select="position() + 1"/>
          <xsl:if test="position() &gt; 1"><xsl:text>.br&#10;</xsl:text></xsl:if>
          <xsl:variable name="label">
            <xsl:if test="$head/th[$col]">
              <xsl:value-of select="normalize-space($head/th[$col])"/>
              <xsl:text>: </xsl:text>
            </xsl:if>
          </xsl:variable>
          <xsl:call-template name="inline-line">
            <xsl:with-param name="nodes" select="."/>
            <xsl:with-param name="prefix" select="string($label)"/>
          </xsl:call-template>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:for-each>
  <xsl:text>.PP&#10;</xsl:text>
</xsl:template>

<xsl:template match="text()"/>

<!-- ================================================================ -->
<!-- Inline text                                                       -->

<!--
  inline-line: the inline content of $nodes (default: the current node)
  as one output line, whitespace normalised, behind \& and $prefix.
-->
<xsl:template name="inline-line">
  <xsl:param name="nodes" select="."/>
  <xsl:param name="prefix" select="''"/>
  <xsl:param name="font" select="'R'"/>
  <xsl:param name="code" select="false()"/>
  <xsl:variable name="content">
    <xsl:for-each select="$nodes">
      <xsl:apply-templates select="node()" mode="inline">
        <xsl:with-param name="font" select="$font"/>
        <xsl:with-param name="code" select="$code"/>
      </xsl:apply-templates>
      <xsl:text> </xsl:text>
    </xsl:for-each>
  </xsl:variable>
  <xsl:text>\&amp;</xsl:text>
  <xsl:value-of select="$prefix"/>
  <xsl:if test="$font != 'R'">\f<xsl:value-of select="$font"/></xsl:if>
  <xsl:value-of select="normalize-space($content)"/>
  <xsl:if test="$font != 'R'">\fR</xsl:if>
  <xsl:text>&#10;</xsl:text>
</xsl:template>

<xsl:template match="text()" mode="inline">
  <xsl:param name="code" select="false()"/>
  <xsl:call-template name="roff-escape">
    <xsl:with-param name="text" select="."/>
    <xsl:with-param name="code" select="$code"/>
  </xsl:call-template>
</xsl:template>

<xsl:template name="font">
  <xsl:param name="on"/>
  <xsl:param name="font"/>
  <xsl:param name="code" select="false()"/>
  <xsl:param name="before" select="''"/>
  <xsl:param name="after" select="''"/>
  <xsl:value-of select="$before"/>
  <xsl:text>\f</xsl:text><xsl:value-of select="$on"/>
  <xsl:apply-templates select="node()" mode="inline">
    <xsl:with-param name="font" select="$on"/>
    <xsl:with-param name="code" select="$code"/>
  </xsl:apply-templates>
  <xsl:text>\f</xsl:text><xsl:value-of select="$font"/>
  <xsl:value-of select="$after"/>
</xsl:template>

<xsl:template match="code | program" mode="inline">
  <xsl:param name="font" select="'R'"/>
  <xsl:call-template name="font">
    <xsl:with-param name="on" select="'B'"/>
    <xsl:with-param name="font" select="$font"/>
    <xsl:with-param name="code" select="true()"/>
  </xsl:call-template>
</xsl:template>

<xsl:template match="strong" mode="inline">
  <xsl:param name="font" select="'R'"/>
  <xsl:param name="code" select="false()"/>
  <xsl:call-template name="font">
    <xsl:with-param name="on" select="'B'"/>
    <xsl:with-param name="font" select="$font"/>
    <xsl:with-param name="code" select="$code"/>
  </xsl:call-template>
</xsl:template>

<xsl:template match="var | em | cite | dfn" mode="inline">
  <xsl:param name="font" select="'R'"/>
  <xsl:param name="code" select="false()"/>
  <xsl:call-template name="font">
    <xsl:with-param name="on" select="'I'"/>
    <xsl:with-param name="font" select="$font"/>
    <xsl:with-param name="code" select="$code"/>
  </xsl:call-template>
</xsl:template>

<xsl:template match="q" mode="inline">
  <xsl:param name="font" select="'R'"/>
  <xsl:param name="code" select="false()"/>
  <xsl:text>\(lq</xsl:text>
  <xsl:apply-templates select="node()" mode="inline">
    <xsl:with-param name="font" select="$font"/>
    <xsl:with-param name="code" select="$code"/>
  </xsl:apply-templates>
  <xsl:text>\(rq</xsl:text>
</xsl:template>

<xsl:template match="br" mode="inline">
  <xsl:text> </xsl:text>
</xsl:template>

<xsl:template match="directive | module" mode="inline">
  <xsl:param name="font" select="'R'"/>
  <xsl:text>\fB</xsl:text>
  <xsl:if test="@type = 'section'">&lt;</xsl:if>
  <xsl:call-template name="roff-escape">
    <xsl:with-param name="text" select="normalize-space(.)"/>
    <xsl:with-param name="code" select="true()"/>
  </xsl:call-template>
  <xsl:if test="@type = 'section'">&gt;</xsl:if>
  <xsl:text>\f</xsl:text><xsl:value-of select="$font"/>
</xsl:template>

<!-- Links: the text, and the address when it leads out of the page. -->
<xsl:template match="a" mode="inline">
  <xsl:param name="font" select="'R'"/>
  <xsl:param name="code" select="false()"/>
  <xsl:apply-templates select="node()" mode="inline">
    <xsl:with-param name="font" select="$font"/>
    <xsl:with-param name="code" select="$code"/>
  </xsl:apply-templates>
  <xsl:if test="starts-with(@href, 'http://') or starts-with(@href, 'https://')">
    <xsl:text> (</xsl:text>
    <xsl:call-template name="roff-escape">
      <xsl:with-param name="text" select="@href"/>
      <xsl:with-param name="code" select="true()"/>
    </xsl:call-template>
    <xsl:text>)</xsl:text>
  </xsl:if>
</xsl:template>

<!-- Anything else inline: its text. -->
<xsl:template match="*" mode="inline">
  <xsl:param name="font" select="'R'"/>
  <xsl:param name="code" select="false()"/>
  <xsl:apply-templates select="node()" mode="inline">
    <xsl:with-param name="font" select="$font"/>
    <xsl:with-param name="code" select="$code"/>
  </xsl:apply-templates>
</xsl:template>

<!-- roff-escape: \ as \e; in code also - as \- (a real minus sign). -->
<xsl:template name="roff-escape">
  <xsl:param name="text"/>
  <xsl:param name="code" select="false()"/>
  <xsl:variable name="backslashes">
    <xsl:call-template name="replace">
      <xsl:with-param name="text" select="$text"/>
      <xsl:with-param name="from" select="'\'"/>
      <xsl:with-param name="to" select="'\e'"/>
    </xsl:call-template>
  </xsl:variable>
  <xsl:choose>
    <xsl:when test="$code">
      <xsl:call-template name="replace">
        <xsl:with-param name="text" select="$backslashes"/>
        <xsl:with-param name="from" select="'-'"/>
        <xsl:with-param name="to" select="'\-'"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:otherwise><xsl:value-of select="$backslashes"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

</xsl:stylesheet>
